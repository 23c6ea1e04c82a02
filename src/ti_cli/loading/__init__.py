"""From YAML files to models: safe parsing with positions, schema errors mapped to lines, bundles."""
