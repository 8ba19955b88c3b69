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
# # Stakeholder consultations
#
# Import the city's consultation log as the office keeps it, see every
# problem at once, save the valid records to the review, add or correct a
# record with the form, and analyse who was heard, at what level of
# participation, and whether their inputs got a response.
#
# Participants' names and contact details are **personal data** (Data
# Privacy Act, RA 10173): they stay in the workspace and are left out of
# tables, charts and memos. *The sample logs and the people in them are
# **illustrative** and fictional.*

# %% tags=["parameters"]
city = "santa-rosa"  # sample city: "santa-rosa" or "san-fernando"
version = "v1"  # draft version; empty means the latest
lang = "en"  # "en" or "ja"
reviewer = "Notebook Reviewer (illustrative)"  # name saved with each record
workspace = ""  # workspace folder or database URL; empty means exports/notebook-workspace
log_file = ""  # consultation log (.xlsx or .csv); empty means the sample city's consultations.xlsx

# %%
from vlr_tools import open_session, problems_frame, setup_notebook, show_figure

setup_notebook(lang)
session = open_session(city, version, lang, reviewer, workspace)
session

# %% [markdown]
# ## 1. Import and validation report
# Rows with problems are rejected and listed with sheet, row and column;
# skipped rows (totals, notes) are listed as warnings.

# %%
from vlr_tools import read_consultation_log

log = read_consultation_log(log_file or session.city.consultations_path)
print(log.summary())
problems_frame(log.problems, log.warnings, lang=lang)

# %%
from vlr_tools import save_consultations

saved = save_consultations(
    session.ws, session.review_id, log, accept_valid=True, reviewer=session.reviewer
)
saved

# %% [markdown]
# ## 2. Add or correct a record
# The form checks a record with the same rules as the import and saves it to
# the review; a colleague's change made meanwhile is never overwritten.

# %%
from vlr_tools import consultation_form

form = consultation_form(session.ws, session.review_id, reviewer=session.reviewer, lang=lang)
form

# %% [markdown]
# ## 3. Analysis (no personal data)

# %%
from vlr_tools import (
    draft_dates_for_city,
    engagement_summary,
    findings_frame,
    load_consultations,
)

records = load_consultations(session.ws, session.review_id)
engagement = engagement_summary(
    records, draft_dates=draft_dates_for_city(session.city.slug), version=session.version, lang=lang
)
findings_frame(engagement["findings"])

# %%
for figure in engagement["figures"].values():
    show_figure(figure)

# %% [markdown]
# Stakeholder groups and the consultations they were heard in (groups never
# heard first), and the inputs that got no documented response.

# %%
engagement["tables"]["coverage"].sort_values("consultations")

# %%
engagement["tables"]["no_response"]
