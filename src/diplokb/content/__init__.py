"""What the editors' files hold, and how they are read and written safely.

The schema of topic files (:mod:`.schema`: fields, types, the JSON Schema), the shape of a parsed
essay (:mod:`.essay`), the policy every input is read with (:mod:`.inputs`: inside its folder,
bounded, UTF-8), where outputs may go (:mod:`.outputs`: never on, in or over an input folder),
YAML composed safely with positions (:mod:`.yamlsafe`), and writes that keep every byte an editor
wrote (:mod:`.write`).

May import: ``diplokb.errors``, ``diplokb.text``.
"""
