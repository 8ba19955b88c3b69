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
# # Workshop tour: a VLR review in four steps
#
# Pick a sample city, see how its draft Voluntary Local Review covers the 17
# SDGs, rate one peer-review checklist criterion and export the review memo.
# Every step is saved in the review workspace as you go.
#
# *The sample cities' drafts, indicator values, consultations and people are
# **illustrative sample data** made up for training; only the public facts in
# each `city.yaml` are real.*
#
# This notebook is also the workshop app: `vlr serve` shows it as a web page
# (Voila) on 127.0.0.1, with nothing loaded from the internet.

# %% tags=["parameters"]
city = ""  # sample city: "santa-rosa" or "san-fernando"; empty means let the trainer pick
version = ""  # draft version, e.g. "v1"; empty means the city's latest draft
lang = ""  # "en" or "ja"; empty means English (or what `vlr serve --lang` says)
reviewer = "Workshop Reviewer (illustrative)"  # name saved with each rating
workspace = ""  # workspace folder or database URL; empty means exports/notebook-workspace
exports = ""  # folder for memos; empty means exports/
autoplay = False  # True: click through the four steps with example values (headless runs)

# %%
from vlr_tools.widgets import setup_notebook, workshop_tour

setup_notebook(lang or "en", charts="live")
tour = workshop_tour(city, version, lang, reviewer, workspace, exports, autoplay=autoplay)
tour
