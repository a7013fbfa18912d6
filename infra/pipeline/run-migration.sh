#!/usr/bin/env bash
# Runs the database migrations once per deploy: registers the migration task definition with the new
# image, runs it as a one-off Fargate task (`node scripts/migrate.mjs`, i.e. `npm run migrate`), waits
# for it to stop and fails unless it exited 0. Env: CLUSTER, MIGRATE_FAMILY, SUBNETS (comma-separated),
# SECURITY_GROUP. Arg: the image URI.
set -euo pipefail
image="${1:?usage: run-migration.sh <image-uri>}"
: "${CLUSTER:?}" "${MIGRATE_FAMILY:?}" "${SUBNETS:?}" "${SECURITY_GROUP:?}"

echo "▶ migration task definition with $image"
aws ecs describe-task-definition --task-definition "$MIGRATE_FAMILY" --query taskDefinition --output json > current.json
node -e '
  const fs = require("fs");
  const def = JSON.parse(fs.readFileSync("current.json", "utf8"));
  for (const key of ["taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities", "registeredAt", "registeredBy", "deregisteredAt"]) delete def[key];
  def.containerDefinitions = def.containerDefinitions.map((c) => ({ ...c, image: process.argv[1] }));
  fs.writeFileSync("next.json", JSON.stringify(def));
' "$image"
task_definition=$(aws ecs register-task-definition --cli-input-json file://next.json --query taskDefinition.taskDefinitionArn --output text)

echo "▶ running $task_definition"
task=$(aws ecs run-task --cluster "$CLUSTER" --task-definition "$task_definition" --launch-type FARGATE \
  --network-configuration "awsvpcConfiguration={subnets=[$SUBNETS],securityGroups=[$SECURITY_GROUP],assignPublicIp=DISABLED}" \
  --started-by pipeline-migrate --query 'tasks[0].taskArn' --output text)
[ -n "$task" ] && [ "$task" != "None" ] || { echo "the migration task did not start"; exit 1; }
echo "  task $task"

# `aws ecs wait tasks-stopped` gives up after 10 minutes; a long migration keeps waiting.
until aws ecs wait tasks-stopped --cluster "$CLUSTER" --tasks "$task" 2>/dev/null; do echo "  still running"; done
read -r code reason <<<"$(aws ecs describe-tasks --cluster "$CLUSTER" --tasks "$task" --query 'tasks[0].[containers[0].exitCode, stoppedReason]' --output text)"
echo "  exit code $code ($reason) — logs: /${MIGRATE_FAMILY%-migrate}/migrate"
[ "$code" = "0" ] || { echo "✗ migration failed: the services keep their current version"; exit 1; }
echo "✓ migrated"
