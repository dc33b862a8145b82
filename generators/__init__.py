"""Writers of the artefacts pmokit hands to people: form workbooks now, roll-ups and reports later."""
