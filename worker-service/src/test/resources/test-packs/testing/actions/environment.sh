#!/usr/bin/env bash
# Test action: lists the names of its environment variables that start with ATTUNE_ or SPRING_.
names=''
for name in $(compgen -e); do
    case $name in ATTUNE_* | SPRING_*) names+="${names:+, }\"$name\"" ;; esac
done
printf '{"names": [%s]}' "$names"
