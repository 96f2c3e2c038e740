# Databricks notebook source
# MAGIC %md
# MAGIC # Churn model
# MAGIC Train and log a classifier.

# COMMAND ----------

# MAGIC %pip install scikit-learn==1.5.0

# COMMAND ----------

# DBTITLE 1,Load the data
df = spark.table("churn").toPandas()

# COMMAND ----------

# MAGIC %sql
# MAGIC SELECT COUNT(*) FROM churn
