# Databricks notebook source
# MAGIC %md
# MAGIC # Taxi tips: will a ride be tipped?
# MAGIC Trains a Spark ML classifier on one month of rides and tracks it with MLflow.

# COMMAND ----------

# MAGIC %pip install mlflow==2.14.1

# COMMAND ----------

import mlflow
from pyspark.ml import Pipeline
from pyspark.ml.classification import LogisticRegression
from pyspark.ml.evaluation import BinaryClassificationEvaluator
from pyspark.ml.feature import StringIndexer, VectorAssembler

# COMMAND ----------

# MAGIC %md
# MAGIC ## Load and look at the rides

# COMMAND ----------

rides = spark.read.table("samples.nyctaxi.trips")
display(rides.describe())

# COMMAND ----------

rides = rides.dropna()
rides = rides.withColumn("tipped", (rides.tip_amount > 0).cast("int"))

# COMMAND ----------

# MAGIC %md
# MAGIC ## Train

# COMMAND ----------

train, test = rides.randomSplit([0.8, 0.2], seed=7)
indexer = StringIndexer(inputCol="payment_type", outputCol="payment_idx", handleInvalid="keep")
assembler = VectorAssembler(inputCols=["trip_distance", "fare_amount", "payment_idx"], outputCol="features")
lr = LogisticRegression(labelCol="tipped")
pipeline = Pipeline(stages=[indexer, assembler, lr])

mlflow.set_experiment("/Shared/taxi-tips")
mlflow.pyspark.ml.autolog()
with mlflow.start_run(run_name="logreg"):
    model = pipeline.fit(train)

# COMMAND ----------

# MAGIC %md
# MAGIC ## Evaluate on the held-out rides

# COMMAND ----------

predictions = model.transform(test)
auc = BinaryClassificationEvaluator(labelCol="tipped").evaluate(predictions)
print(f"test ROC-AUC: {auc:.3f}")
