# %% [markdown]
# # Insurance claim prediction with CatBoost
# CatBoost handles the categorical columns and the missing numeric values itself, so there is no imputation step.

# %%
import pandas as pd
import numpy as np
from catboost import CatBoostClassifier, Pool
import shap
from sklearn.model_selection import train_test_split
from sklearn.metrics import roc_auc_score, log_loss

# %%
claims = pd.read_csv("data/claims.csv")
claims.head()

# %%
claims.isna().sum()

# %%
claims["claim_filed"].value_counts(normalize=True)

# %% [markdown]
# `vehicle_age` and `annual_mileage` have gaps; CatBoost treats NaN as its own split value ("Min" mode).

# %%
cat_cols = ["region", "vehicle_type", "policy_tier", "gender"]
target = "claim_filed"
features = [c for c in claims.columns if c != target]
X_train, X_valid, y_train, y_valid = train_test_split(
    claims[features], claims[target], test_size=0.2, random_state=7, stratify=claims[target]
)

# %%
model = CatBoostClassifier(
    iterations=800,
    learning_rate=0.05,
    depth=6,
    eval_metric="AUC",
    nan_mode="Min",
    random_seed=7,
    verbose=200,
)
model.fit(X_train, y_train, cat_features=cat_cols, eval_set=(X_valid, y_valid), early_stopping_rounds=50)

# %%
proba = model.predict_proba(X_valid)[:, 1]
print("AUC", roc_auc_score(y_valid, proba))
print("log loss", log_loss(y_valid, proba))

# %%
explainer = shap.TreeExplainer(model)
shap_values = explainer.shap_values(Pool(X_valid, cat_features=cat_cols))
shap.summary_plot(shap_values, X_valid)
