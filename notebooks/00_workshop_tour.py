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

# %% [markdown] tags=["vlr-notebook-only"]
# # Workshop tour · ワークショップ・ツアー
#
# *The sample cities' drafts, indicator values, consultations and people are
# **illustrative sample data** made up for training. /
# サンプル都市のドラフト、指標の値、協議記録および人物は研修用の**例示用データ**です。*
#
# Trainers: `vlr serve` shows this notebook as a web app on 127.0.0.1 (Voila);
# nothing is loaded from the internet. This cell is tagged `vlr-notebook-only`:
# the app leaves it out and the tour writes its own title in the language chosen.

# %% tags=["parameters"]
city = ""  # sample city: "santa-rosa" or "san-fernando"; empty means let the trainer pick
version = ""  # draft version, e.g. "v1"; empty means the city's latest draft
lang = ""  # "en" or "ja"; empty means English (or what `vlr serve --lang` says)
reviewer = "Workshop Reviewer (illustrative)"  # name saved with each rating
workspace = ""  # workspace folder or database URL; empty means the vlr command's workspace
exports = ""  # folder for memos; empty means exports/
autoplay = False  # True: click through the four steps with example values (headless runs)

# %%
from vlr_tools import setup_notebook, workshop_tour

setup_notebook(lang or "en", charts="live")
tour = workshop_tour(city, version, lang, reviewer, workspace, exports, autoplay=autoplay)
tour
