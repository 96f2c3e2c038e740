# Databricks notebook source
# MAGIC %md
# MAGIC # Flight arrival delay (>15 min) — Spark ML pipeline
# MAGIC
# MAGIC Binary classifier on the 2023 BTS on-time performance data loaded into `main.aviation.flights_2023`.
# MAGIC Features known at scheduled departure time only (no actual departure delay, no taxi-out) so the model can be used the day before.
# MAGIC
# MAGIC Cluster: DBR 14.3 LTS ML, 4 workers.

# COMMAND ----------

import mlflow
import pyspark.sql.functions as F
from pyspark.ml import Pipeline
from pyspark.ml.feature import StringIndexer, OneHotEncoder, VectorAssembler
from pyspark.ml.classification import GBTClassifier
from pyspark.ml.evaluation import BinaryClassificationEvaluator
from pyspark.ml.tuning import ParamGridBuilder, CrossValidator

mlflow.pyspark.ml.autolog(log_models=True)

# COMMAND ----------

# MAGIC %md ## Load and inspect

# COMMAND ----------

flights = spark.read.table("main.aviation.flights_2023")
print(flights.count())
display(flights.limit(10))

# COMMAND ----------

flights.printSchema()

# COMMAND ----------

# MAGIC %md
# MAGIC Null counts per column. Cancelled / diverted flights have no `ArrDelay`, they are a different problem and get removed.

# COMMAND ----------

null_counts = flights.select([F.sum(F.col(c).isNull().cast("int")).alias(c) for c in flights.columns])
display(null_counts)

# COMMAND ----------

df = (flights
      .filter((F.col("Cancelled") == 0) & (F.col("Diverted") == 0))
      .dropna(subset=["ArrDelay", "CRSDepTime", "Distance", "Reporting_Airline", "Origin", "Dest"])
      .withColumn("label", (F.col("ArrDelay") > 15).cast("double"))
      .withColumn("dep_hour", (F.col("CRSDepTime") / 100).cast("int"))
      .withColumn("month", F.month("FlightDate"))
      .withColumn("dow", F.dayofweek("FlightDate"))
      .select("label", "dep_hour", "month", "dow", "Distance", "CRSElapsedTime",
              "Reporting_Airline", "Origin", "Dest"))

display(df.groupBy("label").count())

# COMMAND ----------

# MAGIC %md
# MAGIC ~20% of flights arrive more than 15 min late. Keep the imbalance and evaluate with areaUnderPR next to AUC.
# MAGIC
# MAGIC Origin/Dest have ~350 levels each. One-hot on those is fine for GBT in Spark (sparse vectors), rare airports get bucketed by `handleInvalid="keep"` at scoring time.

# COMMAND ----------

train, test = df.randomSplit([0.8, 0.2], seed=2023)
train = train.cache()
print(train.count(), test.count())

# COMMAND ----------

cat_cols = ["Reporting_Airline", "Origin", "Dest"]
num_cols = ["dep_hour", "month", "dow", "Distance", "CRSElapsedTime"]

indexers = StringIndexer(inputCols=cat_cols, outputCols=[c + "_idx" for c in cat_cols], handleInvalid="keep")
encoder = OneHotEncoder(inputCols=[c + "_idx" for c in cat_cols], outputCols=[c + "_ohe" for c in cat_cols])
assembler = VectorAssembler(inputCols=num_cols + [c + "_ohe" for c in cat_cols], outputCol="features", handleInvalid="skip")
gbt = GBTClassifier(labelCol="label", featuresCol="features", maxIter=60, seed=42)

pipeline = Pipeline(stages=[indexers, encoder, assembler, gbt])

# COMMAND ----------

evaluator = BinaryClassificationEvaluator(labelCol="label", metricName="areaUnderROC")

grid = (ParamGridBuilder()
        .addGrid(gbt.maxDepth, [4, 6])
        .addGrid(gbt.stepSize, [0.1, 0.2])
        .build())

cv = CrossValidator(estimator=pipeline, estimatorParamMaps=grid, evaluator=evaluator,
                    numFolds=3, parallelism=4, seed=42)

# COMMAND ----------

# sample 20% of train for tuning, full CV on 5M rows takes > 1h
# cv_model = cv.fit(train)
cv_model = cv.fit(train.sample(fraction=0.2, seed=1))

# COMMAND ----------

for params, metric in zip(grid, cv_model.avgMetrics):
    print({p.name: v for p, v in params.items()}, round(metric, 4))

# COMMAND ----------

# MAGIC %md ## Test set

# COMMAND ----------

preds = cv_model.bestModel.transform(test)
auc = evaluator.evaluate(preds)
aupr = evaluator.evaluate(preds, {evaluator.metricName: "areaUnderPR"})
print(f"test AUC = {auc:.4f}, AUPR = {aupr:.4f}")

with mlflow.start_run(run_name="gbt_test_eval", nested=True):
    mlflow.log_metrics({"test_auc": auc, "test_aupr": aupr})

# COMMAND ----------

# MAGIC %md
# MAGIC AUC ≈ 0.69 — schedule-only features carry limited signal (weather and upstream delays are missing). Departure hour and airline dominate. Good enough as a prior for the ops dashboard, not for individual passenger notifications.

# COMMAND ----------

gbt_model = cv_model.bestModel.stages[-1]
print(gbt_model.getMaxDepth(), gbt_model.getStepSize())
attrs = preds.schema["features"].metadata["ml_attr"]["attrs"]
names = {a["idx"]: a["name"] for k in attrs for a in attrs[k]}
imp = sorted(((names[i], float(v)) for i, v in zip(gbt_model.featureImportances.indices, gbt_model.featureImportances.values)), key=lambda t: -t[1])
imp[:15]

# COMMAND ----------

from pyspark.ml.functions import vector_to_array

(preds.select("label", "prediction", vector_to_array("probability")[1].alias("p_delay"))
      .write.mode("overwrite").saveAsTable("main.aviation_ml.flight_delay_test_preds"))

# COMMAND ----------


