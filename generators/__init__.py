"""Writers of what pmokit hands to people: form workbooks now, roll-ups and reports later."""
