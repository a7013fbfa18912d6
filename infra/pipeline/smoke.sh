#!/usr/bin/env bash
# The deployed product answers: liveness and readiness of Strapi (API_URL) and the site (SITE_URL),
# through CloudFront. Retries while a rolling deploy settles; fails the pipeline otherwise.
set -euo pipefail
: "${SITE_URL:?}" "${API_URL:?}"
status=0
for base in "$API_URL" "$SITE_URL"; do
  for route in /api/health /api/ready; do
    url="$base$route"
    if body=$(curl -fsS --retry 10 --retry-delay 6 --retry-all-errors --max-time 10 -H 'Cache-Control: no-cache' "$url"); then
      echo "✓ $url $body"
    else
      echo "✗ $url"; status=1
    fi
  done
done
exit $status
