#!/usr/bin/env bash
# Test action: prints JSON that is not an object.
echo '[1, 2, 3]'
