"""The smart host (`discretion smtp-relay`): mail written outside Discretion is checked on its way out and
relayed, released by secure link, or refused with a bounce (issue 14; docs/smtp-relay.md)."""
