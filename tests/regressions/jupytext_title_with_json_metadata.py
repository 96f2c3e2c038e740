# %%
import pandas as pd

# %% Show a frame {"tags": ["parameters"]}
pd.DataFrame({"a": [1]})
