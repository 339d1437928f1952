#!/usr/bin/env bash
# Test action: appends a line to the file named by parameter "file", so a test can count the runs.
IFS= read -r -d '' params
[[ $params =~ \"file\"[[:space:]]*:[[:space:]]*\"([^\"]*)\" ]] || exit 4
echo "ran $ATTUNE_EXECUTION_ID" >> "${BASH_REMATCH[1]}"
sleep 1
echo '{"counted": true}'
