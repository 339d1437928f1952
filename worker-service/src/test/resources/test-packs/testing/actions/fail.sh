#!/usr/bin/env bash
# Test action: explains itself on stderr and exits 3.
echo "checking the disk" >&2
echo "something broke: disk full" >&2
exit 3
