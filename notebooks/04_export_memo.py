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
# HTML, PDF, DOCX and Markdown, in English or Japanese, with the response
# sheet in which the city answers each recommendation. Consultation
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
warm_up_charts(formats)  # DOCX chart pictures: load the drawing libraries now
session = open_session(city, version, lang, reviewer, workspace, exports, review_id=review_id)
session

# %% [markdown]
# ## 1. Preview

# %%
from IPython.display import Markdown

from vlr_tools import build_memo, memo_bytes, response_sheet_name

sheet_name = response_sheet_name(session.ws, session.review_id, lang)  # None: no recommendations
memo = build_memo(session.ws, session.review_id, lang, response_sheet=sheet_name)
Markdown(memo_bytes(memo, "md").decode("utf-8"))

# %% [markdown]
# ## 2. Write the files
# The HTML memo draws its charts as SVG and needs no script; the PDF is tagged
# for screen readers; the DOCX carries chart pictures. The city's response
# sheet (Excel) is written beside them.

# %%
from vlr_tools import render_memo, write_response_sheet
from vlr_tools import ProgressBar, written_frame

progress = ProgressBar(lang)
progress.widget

# %%
results = render_memo(
    memo, formats.split(","), session.exports / session.city.slug, progress=progress
)
progress.finish()
write_response_sheet(session.ws, session.review_id, session.exports / session.city.slug, lang)
written_frame(results)

# %% [markdown]
# ## 3. What the city answered
# When the city sends its response sheet back, import it with
# `vlr recommendations import FILE --review REVIEW_ID`. Each recommendation
# then shows the city's response, planned action, office and target date, and
# who sent it when; the next draft's review shows them beside each carried
# recommendation.

# %%
from vlr_tools import responses_frame

responses_frame(session.ws, session.review_id, lang)
