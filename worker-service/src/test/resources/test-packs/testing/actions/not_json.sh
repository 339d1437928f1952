#!/usr/bin/env bash
# Test action: prints text instead of a JSON object.
echo "hello, this is not JSON"
