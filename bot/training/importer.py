"""The Rasa `TrainingDataImporter` named in config.yml.

It is Rasa's own file importer (config.yml, domain.yml, data/rules.yml) plus the NLU data and
article responses from the content store, so `rasa train`, `rasa data validate` and `rasa shell`
work at the repository root with no generated `data/` files.
"""
from __future__ import annotations

from typing import List, Optional, Text, Union

from rasa.shared.importers.rasa import RasaFileImporter
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.settings import load_settings
from bot.training.data import build_training_data, training_examples


class ContentImporter(RasaFileImporter):
    def __init__(
        self,
        config_file: Optional[Text] = None,
        domain_path: Optional[Text] = None,
        training_data_paths: Optional[Union[List[Text], Text]] = None,
    ) -> None:
        super().__init__(config_file, domain_path, training_data_paths)
        self._content: Optional[TrainingData] = None

    def get_nlu_data(self, language: Optional[Text] = "en") -> TrainingData:
        if self._content is None:  # Rasa asks several times per command; read the store once
            self._content = build_training_data(training_examples(load_settings()))
        return super().get_nlu_data(language).merge(self._content)
