# Databricks notebook source
# MAGIC  %md
# MAGIC ### Save the table

# COMMAND ----------

x = 1
