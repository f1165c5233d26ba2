#!/usr/bin/env bash
# Benchmark of the real pinata-revoke-bot jar on loopback. One command: bench/run.sh [options]
# (bench/run.sh --realistic: the realistic mode of issue 9, about 10 minutes)
# (bench/run.sh --help lists the options). Results: bench/results/<timestamp>.json
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f target/pinata-revoke-bot.jar ]; then
  echo "[bench] target/pinata-revoke-bot.jar missing: building it (mvn -B -q -DskipTests package)"
  mvn -B -q -DskipTests package || mvn -B -q -o -DskipTests package
elif [ -n "$(find src pom.xml -newer target/pinata-revoke-bot.jar -type f 2>/dev/null | head -1)" ]; then
  echo "[bench] note: src/ or pom.xml changed after target/pinata-revoke-bot.jar was built; benchmarking the jar as it is"
  echo "[bench]       (run 'mvn -B -q -DskipTests package' first to measure the current sources)"
fi

mkdir -p bench/out bench/results
javac -d bench/out --release 17 -Xlint:none bench/src/*.java

# The load generator and the fakes share the machine with the bot; keep their JVM small and predictable.
# sun.net.httpserver.nodelay: without it the JDK HttpServer fakes add Nagle/delayed-ACK stalls (~40 ms).
exec java -XX:+UseSerialGC -Xms256m -Xmx768m -Xss512k \
  -Dsun.net.httpserver.nodelay=true \
  -cp bench/out Bench "$@"
