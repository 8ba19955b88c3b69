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
# # Export the review memo
#
# Build the review memo from everything recorded in the review (coverage,
# checklist, consultations, annotations), preview it here, and write it as
# HTML, PDF, DOCX and Markdown, in English or Japanese. Consultation
# participants' personal data is left out.
#
# *Memos of the sample cities say on their cover that the data is
# **illustrative**.*

# %% tags=["parameters"]
city = "santa-rosa"  # sample city: "santa-rosa" or "san-fernando"
version = "v1"  # draft version; empty means the latest
lang = "en"  # memo language: "en" or "ja"
reviewer = "Notebook Reviewer (illustrative)"
workspace = ""  # folder or database URL; empty means what `vlr` uses (data/workspace)
review_id = ""  # a review of any city (see 00_start_review); empty means the sample city's
exports = ""  # output folder; empty means exports/ (files go to <exports>/<city>/)
formats = "html,pdf,docx,md"  # comma-separated: html, pdf, docx, md

# %%
from vlr_tools import open_session, setup_notebook, warm_up_charts

setup_notebook(lang)
warm_up_charts(formats)  # PDF and DOCX chart images: start the local Chromium now
session = open_session(city, version, lang, reviewer, workspace, exports, review_id=review_id)
session

# %% [markdown]
# ## 1. Preview

# %%
from IPython.display import Markdown

from vlr_tools import build_memo, memo_bytes

memo = build_memo(session.ws, session.review_id, lang)
Markdown(memo_bytes(memo, "md").decode("utf-8"))

# %% [markdown]
# ## 2. Write the files
# PDF and DOCX carry chart images drawn by the local Chromium: the first one
# takes a few seconds.

# %%
from vlr_tools import render_memo
from vlr_tools import ProgressBar, written_frame

progress = ProgressBar(lang)
progress.widget

# %%
results = render_memo(
    memo, formats.split(","), session.exports / session.city.slug, progress=progress
)
progress.finish()
written_frame(results)
