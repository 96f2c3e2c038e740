# Databricks notebook source
# MAGIC %md
# MAGIC # Daily churn scoring
# MAGIC Scores every active customer with the production churn model and writes the scores to a Delta table.

# COMMAND ----------

import mlflow
from pyspark.sql import functions as F

# COMMAND ----------

model_uri = "models:/churn/Production"
churn_udf = mlflow.pyfunc.spark_udf(spark, model_uri=model_uri, result_type="double")

# COMMAND ----------

customers = spark.table("crm.gold.active_customers")
feature_cols = ["tenure_months", "monthly_charges", "support_tickets", "contract_type", "payment_method"]

# COMMAND ----------

scored = (
    customers
    .withColumn("churn_probability", churn_udf(*[F.col(c) for c in feature_cols]))
    .withColumn("scored_at", F.current_timestamp())
)
display(scored.select("customer_id", "churn_probability").limit(20))

# COMMAND ----------

# MAGIC %md
# MAGIC ## Write

# COMMAND ----------

scored.select("customer_id", "churn_probability", "scored_at") \
    .write.mode("overwrite").saveAsTable("crm.gold.churn_scores")
