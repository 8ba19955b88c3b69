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
# # The city's indicator table
#
# Take the city's local indicators into the review: the spreadsheet it sent,
# in whatever layout it keeps it (one column per year, a two-row header,
# goals in section rows, Filipino or Japanese headings), or the tables in
# the annex of its draft. The workbench says **what it understood** (which
# column became what, how each year column was read, the rows it skipped,
# which values became the baseline and the latest) before anything is
# stored. Where a heading was not recognised, say what the column is with
# its dropdown and read again; tick the box to keep that column mapping for
# the city's next table.
#
# *Sample city drafts, indicators and consultations are **illustrative sample
# data** made up for training.*

# %% tags=["parameters"]
city = "santa-rosa"  # sample city: "santa-rosa" or "san-fernando"
version = "v1"  # draft version; empty means the latest
lang = "en"  # "en" or "ja"
reviewer = "Notebook Reviewer (illustrative)"  # name saved with the table
workspace = ""  # folder or database URL; empty means what `vlr` uses (data/workspace)
review_id = ""  # a review of any city (see 00_start_review); empty means the sample city's
table_file = ""  # headless runs: the city's indicator table (.xlsx or .csv)
pages = ""  # headless runs: or pages of the draft with the indicator tables, e.g. "26-28"
columns = ""  # column mapping, written as for `vlr indicators import --columns`
save_mapping = False  # keep the column mapping for the city's next table
store = False  # headless runs: store what was read in the review

# %%
from vlr_tools import open_session, setup_notebook

setup_notebook(lang)
session = open_session(city, version, lang, reviewer, workspace, review_id=review_id)
session

# %% [markdown]
# ## 1. Read the table
# Upload the file (or choose *Tables in the draft* and give the pages), then
# click **Read**. The report and a preview of the indicators appear under the
# form; nothing is stored until you click **Store in the review**, and
# nothing can be while the table has problems.

# %%
from vlr_tools import indicator_table_form

form = indicator_table_form(session.ws, session.review_id, reviewer=session.reviewer, lang=lang)
if table_file:
    form.read_file(table_file, columns=columns)
elif pages:
    form.read_pages(pages, columns=columns)
form

# %% [markdown]
# ## 2. Store it
# Headless runs store here when `store` is set; in the notebook, use the
# form's button.

# %%
if store:
    done = form.store(save_mapping=save_mapping)
    print(f"stored {done.rows} indicators from {done.filename} in review {session.review_id}")

# %% [markdown]
# ## 3. The review's indicator table and its data gaps
# What the coverage, the pre-checks and the memo will use: one row per
# indicator, then how many indicators lack a baseline, a second data point,
# a source, a unit or a 2030 target.

# %%
from vlr_tools import indicator_gaps, open_review

table = open_review(session.ws, session.review_id).indicators  # read again: the form may have stored
print(f"{len(table) if table else 0} indicator(s) in review {session.review_id}")
table.to_frame().head(20) if table else None

# %%
indicator_gaps(table, lang).groupby("message").size().to_frame("indicators") if table else None
