# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#   kernelspec:
#     display_name: VLR workbench
#     language: python
#     name: vlr-tools
#   title: VLR workshop tour · VLRワークショップ・ツアー
# ---

# %% tags=["parameters"]
city = ""  # sample city: "santa-rosa" or "san-fernando"; empty means let the trainer pick
version = ""  # draft version, e.g. "v1"; empty means the city's latest draft
lang = ""  # "en" or "ja"; empty means English (or what `vlr serve --lang` says)
reviewer = "Workshop Reviewer (illustrative)"  # name saved with each rating
workspace = ""  # workspace folder or database URL; empty means exports/notebook-workspace
exports = ""  # folder for memos; empty means exports/
autoplay = False  # True: click through the four steps with example values (headless runs)

# %%
# The workshop tour. Trainers: `vlr serve` shows this notebook as a web app on
# 127.0.0.1 (Voila; nothing is loaded from the internet). The tour writes its
# own title, in the language chosen, so that participants see no English
# block in a Japanese session; the sample data is labelled illustrative there.
from vlr_tools import setup_notebook, workshop_tour

setup_notebook(lang or "en", charts="live")
tour = workshop_tour(city, version, lang, reviewer, workspace, exports, autoplay=autoplay)
tour
