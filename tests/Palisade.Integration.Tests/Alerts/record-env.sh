#!/bin/sh
# An alert agent for the alert lab test: appends the CRM_alert_* variables it got, one block per run, to its recipient.
{
  echo "BEGIN"
  env | grep '^CRM_alert_' | sort
  echo "END"
} >> "$CRM_alert_recipient"
