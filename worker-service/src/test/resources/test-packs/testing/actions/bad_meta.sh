#!/usr/bin/env bash
echo '{"ran": true}'
