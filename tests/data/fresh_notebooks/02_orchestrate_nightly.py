# Databricks notebook source
# MAGIC %md
# MAGIC # Nightly churn workflow
# MAGIC Runs the ingestion, feature and training notebooks in order, passing the run date along.

# COMMAND ----------

dbutils.widgets.text("run_date", "2024-01-01", "Run date")
dbutils.widgets.dropdown("env", "dev", ["dev", "staging", "prod"], "Environment")

# COMMAND ----------

run_date = dbutils.widgets.get("run_date")
env = dbutils.widgets.get("env")
params = {"run_date": run_date, "env": env}

# COMMAND ----------

# MAGIC %md
# MAGIC ## Steps

# COMMAND ----------

ingest_status = dbutils.notebook.run("./01_ingest_events", 3600, params)
print("ingest:", ingest_status)

# COMMAND ----------

features_status = dbutils.notebook.run("./02_build_features", 3600, params)
print("features:", features_status)

# COMMAND ----------

if features_status == "OK":
    train_status = dbutils.notebook.run("./03_train_churn_model", 7200, params)
else:
    raise RuntimeError(f"feature step failed: {features_status}")

# COMMAND ----------

dbutils.notebook.exit(train_status)
