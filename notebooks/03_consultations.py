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
workspace = ""  # folder or database URL; empty means what `vlr` uses (data/workspace)
review_id = ""  # a review of any city (see 00_start_review); empty means the sample city's
log_file = ""  # consultation log (.xlsx or .csv) to import; empty means the review's stored log
columns = ""  # column mapping for log_file, written as for `vlr consultations import --columns`
save_mapping = False  # keep that column mapping for the city's next log

# %%
from vlr_tools import open_session, problems_frame, setup_notebook, show_figure

setup_notebook(lang)
session = open_session(city, version, lang, reviewer, workspace, review_id=review_id)
session

# %% [markdown]
# ## 1. Import and validation report
# With `log_file`, the log is read and the workbench says what it understood
# (which column became which field, the rows it skipped and why, how it read
# the dates, the sheets it did not read); its valid records are saved to the
# review, and rows with problems are rejected and listed with sheet, row and
# column. A heading it does not know is named with `columns` (a saved
# mapping of the city's last log is used otherwise). Importing the same log
# again changes nothing. Without `log_file`, the notebook works on the
# consultations already in the review (a sample city's log is imported when
# its review starts).

# %%
from IPython.display import display

from vlr_tools import import_consultations, load_consultations

if log_file:
    imported = import_consultations(
        session.ws,
        session.review_id,
        log_file,
        columns=columns,
        save_mapping=save_mapping,
        accept_valid=True,
        reviewer=session.reviewer,
    )
    print("\n".join(imported.reading.lines(lang)))
    print(imported.reading.summary())
    print(imported.saved)
    display(problems_frame(imported.reading.problems, imported.reading.warnings, lang=lang))
stored = load_consultations(session.ws, session.review_id)
print(f"{len(stored)} consultation(s) in review {session.review_id}")

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
from vlr_tools import draft_dates, engagement_summary, findings_frame

records = load_consultations(session.ws, session.review_id)  # read again: the form may have saved
engagement = engagement_summary(
    records,
    draft_dates=draft_dates(session.ws, session.city.slug),
    version=session.version,
    lang=lang,
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
