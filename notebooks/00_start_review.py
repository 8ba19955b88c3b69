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
# # Start the review of a city's draft
#
# A partner city has sent its draft VLR (PDF or Word). Fill in what you know
# of the city (slug and name are enough to start; the rest can be added
# later with `vlr city set`), pick the draft file and click **Start review**.
# The workbench stores the city's profile and the file in the workspace,
# reads the draft (pages, paragraphs, headings, language), maps it to the
# SDGs, runs the checklist pre-checks and gives you the **review id**: the
# other notebooks (`01_map_draft` … `04_export_memo`) work on that review when
# you set their `review_id` parameter to it.
#
# Headless (papermill), set `draft_path` and the city parameters: the same
# steps run without the form and the review id is printed.
#
# *The workbench's sample cities are **illustrative sample data**; a city you
# add here is a real city and is never marked illustrative.*

# %% tags=["parameters"]
city = ""  # the city's slug: lower-case letters and digits joined by hyphens, e.g. "baguio"
city_name = ""  # the city's name as the memo prints it, e.g. "Baguio City"
country = "Philippines"
province = ""  # e.g. "Benguet"
version = "v1"  # draft version, e.g. "v1", "v2" or "2026-03"
lang = "en"  # "en" or "ja"
reviewer = "Notebook Reviewer"  # name saved with the review (its lead reviewer)
workspace = ""  # folder or database URL; empty means what `vlr` uses (data/workspace)
draft_path = ""  # headless runs: the draft file (PDF, DOCX, MD, TXT); empty means use the form

# %%
from vlr_tools import setup_notebook, start_review_form

setup_notebook(lang)
form = start_review_form(
    workspace,
    reviewer=reviewer,
    lang=lang,
    slug=city,
    name=city_name,
    country=country,
    province=province,
    version=version,
)
form

# %% [markdown]
# ## Headless start
# With `draft_path` set, the city (if new), the draft and the review are
# stored as the form would, and the review id is printed. A file that cannot
# be read stops the run with one message and stores nothing.

# %%
if draft_path:
    started = form.start_file(draft_path)
    print("\n".join(form.intake.report()))
    print(f"review_id = {started.review.id!r}")
