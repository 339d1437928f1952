#!/usr/bin/env bash
# Test action: exists as .sh and .py; the .sh wins.
echo '{"picked": "sh"}'
