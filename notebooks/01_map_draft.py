# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#   kernelspec:
#     display_name: VLR workbench
#     language: python
#     name: vlr-tools
# ---

# %% [markdown]
# # Map a draft VLR to the SDGs
#
# Read the draft, let the workbench suggest goals and targets for every
# paragraph (with the words that triggered them), accept or reject the
# suggestions, and see the SDG coverage that results, compared with the HLPF
# in-depth goals of the city's year.
#
# *Sample city drafts, indicators and consultations are **illustrative sample
# data** made up for training.*

# %% tags=["parameters"]
city = "santa-rosa"  # sample city: "santa-rosa" or "san-fernando"
version = "v1"  # draft version; empty means the latest
lang = "en"  # "en" or "ja"
reviewer = "Notebook Reviewer (illustrative)"  # name saved with each decision
workspace = ""  # folder or database URL; empty means what `vlr` uses (data/workspace)
review_id = ""  # a review of any city (see 00_start_review); empty means the sample city's

# %%
from vlr_tools import open_session, setup_notebook, show_figure

setup_notebook(lang)
session = open_session(city, version, lang, reviewer, workspace, review_id=review_id)
session

# %% [markdown]
# ## 1. Ingest the draft
# The review's stored draft (PDF or Word) is read page by page into
# paragraphs with references such as `p12.3` (page 12, paragraph 3), which
# every rating and memo cites.

# %%
draft = session.opened.draft
print(
    f"{draft.title}: {draft.page_count} pages, {len(draft.paragraphs())} paragraphs ({draft.lang})"
)

# %% [markdown]
# ## 2. Suggested mappings
# One row per paragraph and goal, with the evidence words and a score. The
# mapping is saved in the review, so the memo shows what you decide on here.

# %%
from vlr_tools import show_table

mapping = session.opened.map(save=True, reviewer=session.reviewer)
show_table(mapping.to_frame(level="goal").head(15))

# %% [markdown]
# ## 3. Accept, reject or add
# Page through the paragraphs; each click is saved in the workspace at once
# and the chart under the view is redrawn from your decisions.

# %%
from vlr_tools import mapping_review

review = mapping_review(
    session.ws,
    session.review_id,
    mapping,
    indicators=session.opened.indicators,  # the table imported into the review, or None
    hlpf_year=session.opened.hlpf_year,
    reviewer=session.reviewer,
    lang=lang,
)
review

# %% [markdown]
# ## 4. SDG coverage with the decisions applied
# Bars are paler the shallower the coverage (mentioned, covered, measured);
# ▲ marks the HLPF in-depth goals of the city's year.

# %%
from vlr_tools import coverage_summary

coverage = coverage_summary(session.ws, session.review_id, lang=lang, draft_mapping=mapping)
show_figure(coverage.figure)

# %%
coverage.hlpf

# %%
coverage.findings

# %% [markdown]
# ## 5. Comment on passages, on the page
# The draft's page as the city laid it out. Select words with the mouse (or
# pick a search result or a paragraph), say what kind of remark it is, link it
# to a checklist criterion or an SDG code, and save: the remark is drawn as a
# highlight coloured by its kind; click it to answer or resolve it. The page
# follows the paragraph shown in step 3, with the words behind its goal
# suggestions underlined in the goal's colour, so you see in place what you
# accept or reject. Annotations are found again in the city's next
# draft and listed by page in the memo annex.

# %%
from vlr_tools import annotations_frame, page_view

pages = page_view(session.ws, session.review_id, reviewer=session.reviewer, lang=lang)
pages.follow(review)  # the page follows the paragraph shown in step 3, evidence underlined
pages

# %%
show_table(annotations_frame(session.ws, session.review_id))
