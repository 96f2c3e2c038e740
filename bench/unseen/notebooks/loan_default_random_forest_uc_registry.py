# Databricks notebook source
# MAGIC %pip install scikit-learn==1.3.2 mlflow-skinny[databricks]==2.10.2

# COMMAND ----------

dbutils.library.restartPython()

# COMMAND ----------

dbutils.widgets.text("catalog", "risk_dev")
dbutils.widgets.text("snapshot_date", "2024-01-31")
catalog = dbutils.widgets.get("catalog")
snapshot_date = dbutils.widgets.get("snapshot_date")

# COMMAND ----------

import pandas as pd
import numpy as np
import mlflow
from mlflow.models import infer_signature
from mlflow import MlflowClient
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split
from sklearn.metrics import roc_auc_score, precision_score, recall_score, brier_score_loss

mlflow.set_registry_uri("databricks-uc")

# COMMAND ----------

# MAGIC %md
# MAGIC ### Load loan applications with 12-month outcome
# MAGIC Only loans originated at least 12 months before the snapshot so the label is mature.

# COMMAND ----------

sdf = spark.sql(f"""
    SELECT a.*, o.defaulted_12m
    FROM {catalog}.lending.applications a
    JOIN {catalog}.lending.outcomes o USING (loan_id)
    WHERE a.origination_date <= add_months('{snapshot_date}', -12)
""")
pdf = sdf.toPandas()
pdf.shape

# COMMAND ----------

pdf.isnull().sum()

# COMMAND ----------

# employment_length and dti have a few % missing, just drop those rows
pdf = pdf.dropna()
pdf.shape

# COMMAND ----------

features = ["loan_amount", "term_months", "interest_rate", "annual_income", "dti",
            "employment_length", "fico_low", "revol_util", "open_acc", "delinq_2yrs",
            "home_ownership", "purpose", "grade"]
target = "defaulted_12m"

X_train, X_test, y_train, y_test = train_test_split(pdf[features], pdf[target], test_size=0.2, random_state=0)

# COMMAND ----------

cat_cols = ["home_ownership", "purpose", "grade"]
X_train = pd.get_dummies(X_train, columns=cat_cols)
X_test = pd.get_dummies(X_test, columns=cat_cols).reindex(columns=X_train.columns, fill_value=0)
X_train = X_train.astype(float)
X_test = X_test.astype(float)

# COMMAND ----------

rf = RandomForestClassifier(n_estimators=500, max_depth=12, min_samples_leaf=20,
                            class_weight="balanced_subsample", n_jobs=-1, random_state=0)

# COMMAND ----------

mlflow.set_experiment(f"/Users/{spark.sql('select current_user()').first()[0]}/loan_default_rf")

with mlflow.start_run(run_name=f"rf_{snapshot_date}") as run:
    rf.fit(X_train, y_train)
    p = rf.predict_proba(X_test)[:, 1]
    yhat = (p > 0.5).astype(int)

    mlflow.log_params(rf.get_params())
    mlflow.log_param("snapshot_date", snapshot_date)
    mlflow.log_param("n_train", len(X_train))
    mlflow.log_metrics({
        "auc": roc_auc_score(y_test, p),
        "precision": precision_score(y_test, yhat),
        "recall": recall_score(y_test, yhat),
        "brier": brier_score_loss(y_test, p),
    })

    mlflow.sklearn.log_model(
        rf, "model",
        signature=infer_signature(X_train, p),
        input_example=X_train.iloc[:5],
        registered_model_name=f"{catalog}.models.loan_default_rf",
    )
run_id = run.info.run_id

# COMMAND ----------

print(roc_auc_score(y_test, p), precision_score(y_test, yhat), recall_score(y_test, yhat))

# COMMAND ----------

# MAGIC %md
# MAGIC Set the `challenger` alias on the new version; promotion to `champion` happens in the validation job after the monitoring comparison.

# COMMAND ----------

client = MlflowClient(registry_uri="databricks-uc")
model_name = f"{catalog}.models.loan_default_rf"
latest = max(int(v.version) for v in client.search_model_versions(f"name='{model_name}'"))
client.set_registered_model_alias(model_name, "challenger", latest)
client.set_model_version_tag(model_name, str(latest), "snapshot_date", snapshot_date)
print(model_name, latest)

# COMMAND ----------

# feature importance
pd.Series(rf.feature_importances_, index=X_train.columns).sort_values(ascending=False).head(15)

# COMMAND ----------

# MAGIC %md
# MAGIC TODO: calibration check, grade is probably leaking interest_rate info (grade is set from rate) - ok for now
