"""gitpod-sdk 0.12.0 as published imports two modules from the wrong package (they live in gitpod.types.shared);
this alias makes `import gitpod` work without changing any file of the SDK. Installed into the test venv only."""

import importlib
import importlib.abc
import importlib.util
import sys

_ALIASES = {
    "gitpod.types.codex_openai_model": "gitpod.types.shared.codex_openai_model",
    "gitpod.types.codex_service_tier": "gitpod.types.shared.codex_service_tier",
}


class _AliasFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path, target=None):
        return importlib.util.spec_from_loader(name, self) if name in _ALIASES else None

    def create_module(self, spec):
        return importlib.import_module(_ALIASES[spec.name])

    def exec_module(self, module):
        pass


sys.meta_path.insert(0, _AliasFinder())
