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
# # Peer-review checklist
#
# Rate the draft against the checklist (areas A–H), citing pages as
# evidence. The pre-checks suggest ratings where the data can tell (HLPF
# goals, indicator baselines and sources, consultation coverage...); a
# suggestion is only a suggestion until a reviewer confirms it. With several
# reviewers, consolidate their ratings and let the lead settle the disputed
# ones.
#
# *Sample city data is **illustrative** and made up for training.*

# %% tags=["parameters"]
city = "santa-rosa"  # sample city: "santa-rosa" or "san-fernando"
version = "v1"  # draft version; empty means the latest
lang = "en"  # "en" or "ja"
reviewer = "Notebook Reviewer (illustrative)"  # name saved with each rating
workspace = ""  # folder or database URL; empty means what `vlr` uses (data/workspace)
review_id = ""  # a review of any city (see 00_start_review); empty means the sample city's
template = "full"  # checklist template for a new review: "full" or "workshop"
confirm_prechecks = False  # True: save every pre-check suggestion as this reviewer's rating

# %%
from vlr_tools import open_session, setup_notebook, show_figure

setup_notebook(lang)
session = open_session(
    city, version, lang, reviewer, workspace, template=template, review_id=review_id
)
session

# %% [markdown]
# ## 1. Pre-checks
# Suggested ratings with the reason and the evidence (pages, indicator and
# consultation ids). Labelled "suggested": nothing is saved yet.

# %%
from vlr_tools import precheck, show_table, suggestions_frame

suggestions = precheck(session.ws, session.city.slug, session.version, review_id=session.review_id)
show_table(suggestions_frame(suggestions, lang))

# %%
from vlr_tools import confirm_suggestion

if confirm_prechecks:
    for suggestion in suggestions:
        confirm_suggestion(
            session.ws, session.review_id, suggestion, reviewer=session.reviewer, lang=lang
        )

# %% [markdown]
# ## 2. Rate
# Pick a criterion, read what good looks like and the pre-check's
# suggestion, then rate, cite pages, comment and recommend. Save writes to
# the workspace at once.

# %%
from vlr_tools import ChecklistPanel

panel = ChecklistPanel(session.ws, session.review_id, reviewer=session.reviewer, lang=lang)
panel

# %% [markdown]
# ## 3. Consolidate
# Every reviewer's rating side by side, the consensus, and the lead
# reviewer's final rating where they disagree.

# %%
from vlr_tools import consolidate

show_table(consolidate(session.ws, session.review_id, lang))

# %% [markdown]
# ## 4. Summary
# Progress and ratings by area, the top recommendations and every criterion's
# conclusion. They follow the panel above: each rating you save redraws them,
# no need to re-run this cell.

# %%
from vlr_tools import ChecklistSummary

ChecklistSummary(session.ws, session.review_id, lang=lang, panel=panel)

# %% [markdown]
# ## 5. Figures to check
# The figures, trends and statuses the draft states (in its text and its own
# tables), checked against the review's indicator table, as with
# `vlr claims --review ID`. Pick a suggestion to see its page with the
# sentence highlighted; confirm it (it goes into the memo with both pages)
# or dismiss it with the reason.

# %%
from vlr_tools import FiguresPanel

figures = FiguresPanel(session.ws, session.review_id, reviewer=session.reviewer, lang=lang)
figures

# %%
figures.frame()
