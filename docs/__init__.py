"""The course website (``python3 dev.py site``) and the links into the repository.

``links``: the repository address in pyproject.toml and every launch link made from it;
``install_cell``: the Colab install cell of each chapter; ``build``: the Sphinx build;
``conf.py``: the Sphinx configuration.
"""
