#!/usr/bin/env bash
# Debian's Java runtime for pyspark, which runs Spark in local mode inside the JVM for the `spark`
# dbt target and tests/integration/test_spark_parity.py. Spark's jars come with the pyspark wheel
# (PyPI); nothing is fetched from Maven at run time.
# Idempotent: does nothing when a Java 17 runtime is already there.
set -euo pipefail

JAVA=/usr/lib/jvm/java-17-openjdk-$(dpkg --print-architecture)/bin/java

if [ -x "$JAVA" ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
else
    SUDO=(sudo)
fi

"${SUDO[@]}" apt-get update
DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y openjdk-17-jre-headless
"$JAVA" -version
