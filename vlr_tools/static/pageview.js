// The page view of the VLR Review Workbench (vlr_tools.widgets.pageview), run by anywidget.
//
// Draws the page image the kernel rendered, lays the page's words over it as a
// transparent, selectable text layer (each word knows its offset in the draft's
// text, and the words are in the draft's reading order), draws highlights, and
// shows the annotation form and threads. Everything it shows comes from the
// widget's state, so a browser reload draws the same view again; everything it
// does is a message to the kernel, which saves to the workspace.

const el_ = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
};

const pct = (x) => `${(x * 100).toFixed(4)}%`;

function render({ model, el }) {
  const L = (key, fill = {}) => {
    let s = (model.get("labels") || {})[key] || key;
    for (const [k, v] of Object.entries(fill)) s = s.split(`{${k}}`).join(String(v));
    return s;
  };
  const root = el_("div", { class: "vlr-pv", lang: model.get("lang") });
  el.append(root);

  // -- toolbar --------------------------------------------------------------------
  const prev = el_("button", { class: "vlr-pv-prev", type: "button", text: L("prev") });
  const next = el_("button", { class: "vlr-pv-next", type: "button", text: L("next") });
  const pageInput = el_("input", {
    class: "vlr-pv-pageno", type: "number", min: 1, "aria-label": L("page"),
  });
  const pageTotal = el_("span", { class: "vlr-pv-total" });
  const zoomOut = el_("button", { type: "button", class: "vlr-pv-zoomout", title: L("zoom_out"), "aria-label": L("zoom_out"), text: "−" });
  const zoomIn = el_("button", { type: "button", class: "vlr-pv-zoomin", title: L("zoom_in"), "aria-label": L("zoom_in"), text: "+" });
  const zoomFit = el_("button", { type: "button", class: "vlr-pv-fit", text: L("zoom_fit") });
  const searchBox = el_("input", {
    class: "vlr-pv-search", type: "search", placeholder: L("search_placeholder"), "aria-label": L("search"),
  });
  const searchBtn = el_("button", { type: "button", class: "vlr-pv-find", text: L("search") });
  const evidenceBox = el_("input", { type: "checkbox", class: "vlr-pv-evidence" });
  const bar = el_(
    "div", { class: "vlr-pv-bar", role: "toolbar" },
    prev, el_("label", { class: "vlr-pv-pagelabel" }, `${L("page")} `, pageInput), pageTotal, next,
    el_("span", { class: "vlr-pv-sep" }), zoomOut, zoomIn, zoomFit,
    el_("span", { class: "vlr-pv-sep" }), searchBox, searchBtn,
    el_("label", { class: "vlr-pv-evlabel" }, evidenceBox, ` ${L("evidence")}`),
  );
  const notes = el_("div", { class: "vlr-pv-notes" });
  const legend = el_("p", { class: "vlr-pv-legend", text: L("evidence_legend") });

  // -- the page -------------------------------------------------------------------
  const img = el_("img", { class: "vlr-pv-img", alt: "" });
  const marks = el_("div", { class: "vlr-pv-marks" });
  const text = el_("div", { class: "vlr-pv-text" });
  const badges = el_("div", { class: "vlr-pv-badges" });
  const noText = el_("div", { class: "vlr-pv-notext", role: "note" });
  const loading = el_("div", { class: "vlr-pv-loading" });
  const sheet = el_("div", { class: "vlr-pv-page" }, img, marks, text, badges, noText, loading);
  const stage = el_("div", { class: "vlr-pv-stage" }, sheet);

  // -- the side panel -------------------------------------------------------------
  const msg = el_("div", { class: "vlr-pv-msg", role: "status", "aria-live": "polite" });
  const hint = el_("p", { class: "vlr-pv-hint", text: L("select_hint") });
  const picked = el_("div", { class: "vlr-pv-picked" });
  const typed = el_("textarea", { class: "vlr-pv-typed", rows: 3, "aria-label": L("quote_typed") });
  const typedBox = el_("label", { class: "vlr-pv-typedbox" }, L("quote_typed"), typed);
  const kind = el_("select", { class: "vlr-pv-kind" });
  const comment = el_("textarea", { class: "vlr-pv-comment", rows: 4 });
  const criterion = el_("select", { class: "vlr-pv-criterion" });
  const sdg = el_("input", { class: "vlr-pv-sdg", type: "text", placeholder: L("sdg_placeholder") });
  const save = el_("button", { type: "button", class: "vlr-pv-save", text: L("save") });
  const clear = el_("button", { type: "button", class: "vlr-pv-clear", text: L("cancel") });
  const form = el_(
    "form", { class: "vlr-pv-form", onsubmit: (e) => e.preventDefault() },
    hint, picked, typedBox,
    el_("label", {}, L("kind"), kind),
    el_("label", {}, L("comment"), comment),
    el_("label", {}, L("criterion"), criterion),
    el_("label", {}, L("sdg"), sdg),
    el_("div", { class: "vlr-pv-buttons" }, save, clear),
  );
  const paraSelect = el_("select", { class: "vlr-pv-paragraph", "aria-label": L("paragraph") });
  const paraBox = el_("label", { class: "vlr-pv-parabox" }, L("paragraph"), paraSelect);
  const searchNote = el_("div", { class: "vlr-pv-searchnote", role: "status" });
  const hitList = el_("div", { class: "vlr-pv-hits" });
  const thread = el_("section", { class: "vlr-pv-thread", "aria-label": L("thread") });
  const listHead = el_("h4", { text: L("on_page") });
  const list = el_("div", { class: "vlr-pv-list" });
  const side = el_(
    "div", { class: "vlr-pv-side" },
    msg, thread, form, paraBox, searchNote, hitList, listHead, list,
  );
  root.append(bar, notes, legend, el_("div", { class: "vlr-pv-body" }, stage, side));

  // Options that do not change while the view lives.
  for (const k of model.get("kinds") || []) kind.append(el_("option", { value: k.id, text: k.label }));
  criterion.append(el_("option", { value: "", text: L("no_criterion") }));
  for (const c of model.get("criteria") || []) criterion.append(el_("option", { value: c.id, text: c.label }));

  const send = (content) => model.send(content);
  const setPage = (n) => {
    const count = model.get("page_count");
    const target = Math.min(Math.max(1, n), count);
    if (target === model.get("page")) return;
    loading.textContent = L("loading", { page: target });
    loading.style.display = "block";
    model.set("page", target);
    model.save_changes();
  };

  // -- drawing ---------------------------------------------------------------------
  let imageUrl = null;
  let baseWidth = 0;
  const measure = document.createElement("canvas").getContext("2d");

  function pageWidth() {
    const avail = Math.max(320, stage.clientWidth - 16 || 760);
    return Math.round(Math.min(avail, 980) * (model.get("zoom") || 1));
  }

  function layout() {
    const [w, h] = model.get("size");
    baseWidth = pageWidth();
    const height = Math.round((baseWidth * h) / w);
    sheet.style.width = `${baseWidth}px`;
    sheet.style.height = `${height}px`;
    for (const span of text.querySelectorAll("span.vlr-pv-run")) {
      const box = span._box;
      const turn = span._turn || 0;
      const across = turn === 90 || turn === 270;
      // the text's height runs across the line; its length along it
      const thick = across ? (box[2] - box[0]) * baseWidth : (box[3] - box[1]) * height;
      const long = across ? (box[3] - box[1]) * height : (box[2] - box[0]) * baseWidth;
      const fs = Math.max(4, thick * 0.92);
      span.style.fontSize = `${fs.toFixed(2)}px`;
      measure.font = `${fs.toFixed(2)}px sans-serif`;
      const natural = measure.measureText(span.textContent).width || 1;
      const scale = `scaleX(${(long / natural).toFixed(4)})`;
      // a turned page: the word starts at the corner it is read from, turned with the page
      const anchor = { 0: [0, 1], 90: [2, 1], 180: [2, 3], 270: [0, 3] }[turn] || [0, 1];
      span.style.left = pct(box[anchor[0]]);
      span.style.top = pct(box[anchor[1]]);
      span.style.transform = turn ? `rotate(${turn}deg) ${scale}` : scale;
    }
  }

  function drawImage() {
    const data = model.get("image");
    if (imageUrl) URL.revokeObjectURL(imageUrl);
    imageUrl = null;
    if (data && data.byteLength) {
      imageUrl = URL.createObjectURL(new Blob([data], { type: "image/png" }));
      img.src = imageUrl;
    }
    loading.style.display = "none";
  }

  function drawText() {
    text.replaceChildren();
    for (const [start, word, x0, y0, x1, y1, turn] of model.get("runs") || []) {
      const span = el_("span", {
        class: start >= 0 ? "vlr-pv-run" : "vlr-pv-run vlr-pv-off",
        "data-s": start,
        text: word,
      });
      span._box = [x0, y0, x1, y1];
      span._turn = turn || 0;
      text.append(span, document.createTextNode(" "));
    }
    const has = model.get("has_text");
    noText.style.display = has ? "none" : "block";
    noText.textContent = has ? "" : L("no_text_layer");
    layout();
  }

  const box = (r, cls, colour) => {
    const d = el_("div", { class: cls });
    d.style.left = pct(r[0]);
    d.style.top = pct(r[1]);
    d.style.width = pct(Math.max(0.002, r[2] - r[0]));
    d.style.height = pct(Math.max(0.004, r[3] - r[1]));
    if (colour) d.style.setProperty("--c", colour);
    return d;
  };

  function drawMarks() {
    marks.replaceChildren();
    badges.replaceChildren();
    list.replaceChildren();
    for (const e of model.get("evidence") || []) {
      for (const r of e.rects) {
        const cls = `vlr-pv-ev${e.kind === "meaning" ? " vlr-pv-meaning" : ""}${e.focus ? " vlr-pv-focus" : ""}${e.decision ? ` vlr-pv-dec-${e.decision}` : ""}`;
        const d = box(r, cls, e.colour);
        d.title = e.title;
        marks.append(d);
      }
    }
    for (const h of model.get("hits") || []) {
      for (const r of h.rects) marks.append(box(r, "vlr-pv-hit"));
    }
    const open = (model.get("thread") || {}).id;
    for (const a of model.get("highlights") || []) {
      a.rects.forEach((r) => {
        const d = box(r, `vlr-pv-hl vlr-pv-kind-${a.kind} vlr-pv-status-${a.status}`, a.colour);
        d.dataset.id = a.id;
        if (a.id === open) d.classList.add("vlr-pv-open");
        marks.append(d);
      });
      const first = a.rects[0];
      const label = `${a.n}. ${a.kind_label} (${a.status_label}): ${a.comment}`;
      const badge = el_("button", {
        type: "button", class: "vlr-pv-badge", "data-id": a.id, title: label, "aria-label": label,
        text: String(a.n), onclick: () => send({ type: "open", id: a.id }),
      });
      // In the margin beside the line, as a comment mark in a PDF reader.
      badge.style.left = first[0] < 0.5 ? pct(0.012) : pct(0.965);
      badge.style.top = pct(Math.max(0, first[1]));
      badge.style.setProperty("--c", a.colour);
      badges.append(badge);
      const item = el_(
        "button",
        { type: "button", class: "vlr-pv-item", "data-id": a.id, onclick: () => send({ type: "open", id: a.id }) },
        el_("span", { class: "vlr-pv-dot", text: String(a.n) }),
        el_("b", { text: `${a.kind_label}` }),
        ` · ${a.status_label}${a.replies ? ` · ↳${a.replies}` : ""} — ${a.comment}`,
      );
      item.querySelector(".vlr-pv-dot").style.setProperty("--c", a.colour);
      list.append(item);
    }
    if (!(model.get("highlights") || []).length) list.append(el_("p", { class: "vlr-pv-none", text: L("none_on_page") }));
  }

  function drawHits() {
    hitList.replaceChildren();
    searchNote.textContent = model.get("search_note") || "";
    for (const h of model.get("hits") || []) {
      hitList.append(el_("button", {
        type: "button", class: `vlr-pv-hitbtn vlr-pv-how-${h.how}`, text: h.label,
        onclick: () => send({ type: "hit", i: h.i }),
      }));
    }
    drawMarks();
  }

  function drawParagraphs() {
    paraSelect.replaceChildren(el_("option", { value: "", text: L("paragraph_none") }));
    for (const p of model.get("paragraphs") || []) paraSelect.append(el_("option", { value: p.ref, text: p.label }));
    paraBox.style.display = (model.get("paragraphs") || []).length ? "" : "none";
  }

  function drawPending() {
    const p = model.get("pending") || {};
    picked.replaceChildren();
    const canType = !model.get("has_text") || p.typed;
    typedBox.style.display = canType ? "" : "none";
    if (p.quote && !p.typed) {
      picked.append(
        el_("div", { class: "vlr-pv-where", text: L("selected", { page: p.page, paragraph: p.paragraph }) }),
        el_("blockquote", { class: "vlr-pv-quote" },
          el_("span", { class: "vlr-pv-ctx", text: p.prefix ? `…${p.prefix}` : "" }),
          el_("mark", { class: "vlr-pv-q", text: p.quote }),
          el_("span", { class: "vlr-pv-ctx", text: p.suffix ? `${p.suffix}…` : "" })),
      );
      hint.style.display = "none";
    } else {
      hint.style.display = "";
    }
    form.classList.toggle("vlr-pv-ready", Boolean(p.quote));
    save.disabled = !model.get("can_save");
  }

  function drawMessage() {
    const m = model.get("message") || {};
    msg.textContent = m.text || "";
    msg.className = `vlr-pv-msg ${m.level ? `vlr-pv-${m.level}` : ""}`;
    if (m.level === "ok" && m.saved) {
      comment.value = "";
      sdg.value = "";
      criterion.value = "";
      typed.value = "";
    }
  }

  function drawThread() {
    const a = model.get("thread") || {};
    thread.replaceChildren();
    thread.style.display = a.id ? "" : "none";
    if (!a.id) { drawMarks(); return; }
    thread.style.setProperty("--c", a.colour);
    const replyBox = el_("textarea", { class: "vlr-pv-replytext", rows: 2, placeholder: L("reply_placeholder"), "aria-label": L("reply") });
    const links = [a.criterion, ...(a.sdg || []).map((s) => `SDG ${s}`)].filter(Boolean).join(", ");
    thread.append(
      el_("div", { class: "vlr-pv-thead" },
        el_("b", { text: `${L("thread")}: ${a.kind_label}` }),
        el_("button", { type: "button", class: "vlr-pv-close", text: L("thread_close"), onclick: () => send({ type: "close" }) })),
      el_("div", { class: "vlr-pv-meta", text: `p. ${a.page ?? "–"} · ${a.paragraph} · ${L("status")}: ${a.status_label} · ${a.reviewer} · ${a.created}${links ? ` · ${links}` : ""}` }),
      el_("blockquote", { class: "vlr-pv-quote" },
        el_("span", { class: "vlr-pv-ctx", text: a.prefix ? `…${a.prefix}` : "" }),
        el_("mark", { class: "vlr-pv-q", text: a.quote }),
        el_("span", { class: "vlr-pv-ctx", text: a.suffix ? `${a.suffix}…` : "" })),
      el_("p", { class: "vlr-pv-comment-text", text: a.comment }),
      el_("h5", { text: L("replies") }),
    );
    if (!(a.replies || []).length) thread.append(el_("p", { class: "vlr-pv-none", text: L("no_replies") }));
    for (const r of a.replies || []) {
      thread.append(el_("div", { class: "vlr-pv-reply" }, el_("b", { text: r.reviewer }), ` (${r.created.replace("T", " ")}): ${r.comment}`));
    }
    const actions = el_("div", { class: "vlr-pv-buttons" },
      replyBox,
      el_("button", { type: "button", class: "vlr-pv-replybtn", text: L("reply"), onclick: () => send({ type: "reply", id: a.id, text: replyBox.value }) }));
    for (const act of a.actions || []) {
      actions.append(el_("button", {
        type: "button", class: `vlr-pv-status vlr-pv-to-${act.status}`, text: act.label,
        onclick: () => send({ type: "status", id: a.id, status: act.status, version: a.version }),
      }));
    }
    thread.append(actions);
    drawMarks();
  }

  function drawNotes() {
    const info = model.get("info") || {};
    notes.replaceChildren();
    if (info.illustrative) notes.append(el_("p", { class: "vlr-pv-illus", text: L("illustrative") }));
    if (info.rendering) notes.append(el_("p", { class: "vlr-pv-rendering", text: L("rendering", { page: info.rendering_page ?? "?" }) }));
    if (info.mismatch) notes.append(el_("p", { class: "vlr-pv-mismatch", text: L("draft_mismatch", { message: info.mismatch }) }));
  }

  function drawPageNumber() {
    pageInput.value = model.get("page");
    pageInput.max = model.get("page_count");
    pageTotal.textContent = L("of", { n: model.get("page_count") });
    prev.disabled = model.get("page") <= 1;
    next.disabled = model.get("page") >= model.get("page_count");
  }

  // -- selecting -------------------------------------------------------------------
  const runOf = (node) => {
    let n = node;
    while (n && n !== text) {
      if (n.nodeType === 1 && n.classList.contains("vlr-pv-run")) return n;
      n = n.parentNode;
    }
    return null;
  };
  const runs = () => Array.from(text.querySelectorAll("span.vlr-pv-run"));

  // The draft-text offset of one end of a selection: inside a word its own
  // offset; in the space between words the next word's start (for the start)
  // or the previous word's end (for the end). Words outside the draft's text
  // are stepped over.
  function offsetAt(container, offset, isStart) {
    const all = runs();
    let run = runOf(container);
    let index;
    if (run) {
      index = all.indexOf(run);
    } else {
      // a space text node, or the layer itself
      let node = container === text ? text.childNodes[Math.min(offset, text.childNodes.length - 1)] : container;
      if (!node) return null;
      let sib = node;
      if (isStart) {
        while (sib && !(sib.nodeType === 1 && sib.classList.contains("vlr-pv-run"))) sib = sib.nextSibling;
        if (!sib) return null;
        index = all.indexOf(sib);
        offset = 0;
      } else {
        while (sib && !(sib.nodeType === 1 && sib.classList.contains("vlr-pv-run"))) sib = sib.previousSibling;
        if (!sib) return null;
        index = all.indexOf(sib);
        offset = sib.textContent.length;
      }
      run = all[index];
    }
    const step = isStart ? 1 : -1;
    let moved = false;
    while (run && Number(run.dataset.s) < 0) {
      index += step;
      run = all[index];
      moved = true;
    }
    if (!run) return null;
    const len = run.textContent.length;
    const inside = moved ? (isStart ? 0 : len) : Math.min(Math.max(0, offset), len);
    return Number(run.dataset.s) + inside;
  }

  function takeSelection() {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return false;
    const range = sel.getRangeAt(0);
    if (!text.contains(range.commonAncestorContainer) && range.commonAncestorContainer !== text) return false;
    const start = offsetAt(range.startContainer, range.startOffset, true);
    const end = offsetAt(range.endContainer, range.endOffset, false);
    const selected = sel.toString();
    if (start === null || end === null || end <= start) {
      send({ type: "select", start: -1, end: -1, text: selected });
    } else {
      send({ type: "select", start, end, text: selected });
    }
    setTimeout(() => comment.focus({ preventScroll: true }), 0);
    return true;
  }

  function clickHighlight(ev) {
    const rect = sheet.getBoundingClientRect();
    const x = (ev.clientX - rect.left) / rect.width;
    const y = (ev.clientY - rect.top) / rect.height;
    for (const a of model.get("highlights") || []) {
      for (const r of a.rects) {
        if (x >= r[0] && x <= r[2] && y >= r[1] - 0.003 && y <= r[3] + 0.003) {
          send({ type: "open", id: a.id });
          return;
        }
      }
    }
  }

  text.addEventListener("mouseup", (ev) => {
    if (!takeSelection()) clickHighlight(ev);
  });
  text.addEventListener("keyup", (ev) => { if (ev.shiftKey) takeSelection(); });

  // -- controls ----------------------------------------------------------------------
  prev.addEventListener("click", () => setPage(model.get("page") - 1));
  next.addEventListener("click", () => setPage(model.get("page") + 1));
  pageInput.addEventListener("change", () => setPage(parseInt(pageInput.value, 10) || 1));
  const setZoom = (z) => { model.set("zoom", Math.min(4, Math.max(0.4, z))); model.save_changes(); };
  zoomIn.addEventListener("click", () => setZoom(model.get("zoom") * 1.25));
  zoomOut.addEventListener("click", () => setZoom(model.get("zoom") / 1.25));
  zoomFit.addEventListener("click", () => setZoom(1));
  const doSearch = () => send({ type: "search", text: searchBox.value });
  searchBtn.addEventListener("click", doSearch);
  searchBox.addEventListener("keydown", (ev) => { if (ev.key === "Enter") { ev.preventDefault(); doSearch(); } });
  evidenceBox.addEventListener("change", () => { model.set("show_evidence", evidenceBox.checked); model.save_changes(); });
  paraSelect.addEventListener("change", () => { if (paraSelect.value) send({ type: "paragraph", ref: paraSelect.value }); });
  typed.addEventListener("change", () => send({ type: "typed", quote: typed.value }));
  save.addEventListener("click", () => {
    const p = model.get("pending") || {};
    const useTyped = !p.quote || p.typed;
    send({
      type: "save", kind: kind.value, comment: comment.value, criterion: criterion.value,
      sdg: sdg.value, quote: useTyped ? typed.value : null,
    });
  });
  clear.addEventListener("click", () => { window.getSelection()?.removeAllRanges(); send({ type: "clear" }); });
  root.addEventListener("keydown", (ev) => {
    const tag = (ev.target.tagName || "").toLowerCase();
    if (["input", "textarea", "select"].includes(tag)) return;
    if (ev.key === "PageDown") { ev.preventDefault(); setPage(model.get("page") + 1); }
    if (ev.key === "PageUp") { ev.preventDefault(); setPage(model.get("page") - 1); }
  });

  // -- state changes -------------------------------------------------------------------
  const on = (name, fn) => model.on(`change:${name}`, fn);
  on("image", drawImage);
  on("runs", drawText);
  on("size", layout);
  on("zoom", layout);
  on("page", drawPageNumber);
  on("page_count", drawPageNumber);
  on("highlights", drawMarks);
  on("evidence", drawMarks);
  on("hits", drawHits);
  on("search_note", drawHits);
  on("paragraphs", drawParagraphs);
  on("pending", drawPending);
  on("has_text", () => { drawText(); drawPending(); });
  on("message", drawMessage);
  on("thread", drawThread);
  on("info", drawNotes);
  on("can_save", drawPending);
  const showLegend = () => {
    evidenceBox.checked = model.get("show_evidence");
    legend.style.display = model.get("show_evidence") ? "" : "none";
  };
  on("show_evidence", showLegend);

  let resizeTimer = null;
  const observer = new ResizeObserver(() => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { if (Math.abs(pageWidth() - baseWidth) > 4) layout(); }, 60);
  });
  observer.observe(stage);

  searchBox.value = model.get("search_text") || "";
  showLegend();
  drawNotes();
  drawPageNumber();
  drawImage();
  drawText();
  drawParagraphs();
  drawHits();
  drawPending();
  drawMessage();
  drawThread();
  root.dataset.ready = "1";

  // A view restored from a saved notebook has no kernel behind it: say so.
  let answered = false;
  const offline = el_("p", { class: "vlr-pv-offline", role: "alert", text: L("offline") });
  on("pong", () => { answered = true; offline.remove(); });
  const pingTimer = setTimeout(() => { if (!answered) notes.prepend(offline); }, 6000);
  try { send({ type: "ping" }); } catch (err) { notes.prepend(offline); }

  return () => {
    clearTimeout(pingTimer);
    observer.disconnect();
    if (imageUrl) URL.revokeObjectURL(imageUrl);
  };
}

export default { render };
