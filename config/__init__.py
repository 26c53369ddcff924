"""Configuration: YAML files beside this module, validated by the models in ``models.py``."""

from .loader import Config, default_config, load_config, load_model

__all__ = ["Config", "default_config", "load_config", "load_model"]
