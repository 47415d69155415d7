"""A second, lexical reader of questions, combined with the ResponseSelector's ranking.

The ResponseSelector learns from about 45 example questions per article and language; real
families use other words ("How is BLINCYTO given?", "输液港是什么"). A logistic regression over
character n-grams and Jieba words, on text whose synonyms are unified (content/synonyms.yml),
learns from the example questions and also from each article's titles and answer sentences (the
words a leaflet would use; a sentence weighs 0.4 of a question), and reads them differently: it
generalises on spelling and shared word pieces where the neural selector generalises on
whole-message similarity. Averaging the two probabilities gives a ranking that is more often
right and, above all, better calibrated: when the two disagree the top score drops, and
bot/decision.py asks "did you mean…?" instead of guessing.

It also learns the out-of-scope examples as one more class, so a near-the-field question
("insulin pump", "医保报销") that DIET takes for an article question is still recognised.

Output, added to the parse result as `articles`:
`{"ranking": [{"id": "pump_alarm", "confidence": 0.62}, …], "out_of_scope": 0.04}`.
"""
from __future__ import annotations

import logging
import pickle
import re
from typing import Any, Dict, List, Optional, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.decision import RETRIEVAL_INTENT, article_id, ranker_overrules
from bot.nlu.synonyms import normalise

log = logging.getLogger(__name__)

OUT_OF_SCOPE = "out_of_scope"
ARTICLES_KEY = "articles"
MODEL_FILE = "ranker.pkl"
RANKING_LENGTH = 5
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|(?<=[。！？；])|\n+")
MIN_SENTENCE = 6


def _words(text: str) -> str:
    """Jieba's words (with the medical dictionary JiebaTokenizer loaded), space-separated."""
    import jieba

    return " ".join(w for w in jieba.lcut(text) if w.strip())


def _label(message: Message) -> Optional[str]:
    """`pump_alarm` for an article question, `out_of_scope`, or None (greetings and the rest)."""
    if message.get(INTENT) == RETRIEVAL_INTENT:
        return article_id(message.get(INTENT_RESPONSE_KEY))
    return OUT_OF_SCOPE if message.get(INTENT) == OUT_OF_SCOPE else None


def _article_sentences(topics: set[str]) -> list[tuple[str, str]]:
    """(sentence, article id) from the titles and answers of the articles being trained."""
    from bot.settings import load_settings
    from bot.training.data import article_texts

    pairs = []
    for topic, text in article_texts(load_settings()).items():
        if topic in topics:
            pairs += [(s.strip(" -*#>"), topic) for s in SENTENCE_BREAK.split(text.replace("**", ""))
                      if len(s.strip()) >= MIN_SENTENCE]
    return pairs


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class ArticleRanker(GraphComponent):
    """Trained on the same examples as the ResponseSelector; must come after it and after the
    FallbackClassifier in config.yml (it may overrule their intent, see `ranker_overrules`)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "selector_weight": 0.3,     # the ResponseSelector's share of the combined score
            "regularisation_c": 10.0,   # logistic regression's C
            # An answer sentence weighs 0.4 of an example question: answers share words across
            # articles ("call your care team"), and at full weight they pulled real questions to
            # the wrong one (bench/ranker_only.py, top-1: tuning part en 0.826 -> 0.848, zh 0.857
            # either way; cross-validation en 0.704 -> 0.714, zh 0.742 either way). Without
            # them, cross-validation fell (en 0.688, zh 0.696).
            "sentence_weight": 0.4,
            "min_ngram": 1,
            "max_ngram": 4,
        }

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 model: Optional[tuple] = None) -> None:
        self.config = config
        self._model_storage = model_storage
        self._resource = resource
        self._model = model  # (character vectoriser, word vectoriser, classifier)
        self._weights = _contiguous_weights(model)

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> GraphComponent:
        return cls(config, model_storage, resource)

    def _features(self, texts: List[str], words: List[str]):
        from scipy.sparse import hstack
        characters, word_vectoriser, _ = self._model
        return hstack([characters.transform(texts), word_vectoriser.transform(words)]).tocsr()

    def train(self, training_data: TrainingData) -> Resource:
        # scikit-learn comes with Rasa; imported here so that loading a model stays quick.
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        examples = [(m.get(TEXT), _label(m)) for m in training_data.intent_examples]
        examples = [(text, label) for text, label in examples if label]
        sentences = _article_sentences({label for _, label in examples})
        weights = [1.0] * len(examples) + [self.config["sentence_weight"]] * len(sentences)
        examples += sentences
        texts = [normalise(text) for text, _ in examples]
        words = [_words(text) for text in texts]
        characters = TfidfVectorizer(analyzer="char_wb", sublinear_tf=True, min_df=2,
                                     ngram_range=(self.config["min_ngram"], self.config["max_ngram"]))
        word_vectoriser = TfidfVectorizer(analyzer=str.split, sublinear_tf=True)
        characters.fit(texts)
        word_vectoriser.fit(words)
        self._model = (characters, word_vectoriser, None)
        # Newton-CG reaches the same optimum as the default L-BFGS (probabilities within 0.0002 on
        # the real-wording set) in 18 steps instead of 139: a third less training time here.
        classifier = LogisticRegression(C=self.config["regularisation_c"], solver="newton-cg", max_iter=3000)
        classifier.fit(self._features(texts, words), [label for _, label in examples], sample_weight=weights)
        self._model = (characters, word_vectoriser, classifier)
        self._weights = _contiguous_weights(self._model)
        with self._model_storage.write_to(self._resource) as folder:
            (folder / MODEL_FILE).write_bytes(pickle.dumps(self._model))
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> GraphComponent:
        try:
            with model_storage.read_from(resource) as folder:
                model = pickle.loads((folder / MODEL_FILE).read_bytes())
        except (ValueError, FileNotFoundError):
            log.warning("no trained article ranker in this model: the ResponseSelector ranks alone")
            model = None
        return cls(config, model_storage, resource, model)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if self._model is None or text.startswith("/"):
                continue
            lexical = self._probabilities(message)
            selector = _selector_ranking(message)
            weight = self.config["selector_weight"]
            combined = {topic: weight * selector.get(topic, 0.0) + (1 - weight) * lexical.get(topic, 0.0)
                        for topic in set(selector) | set(lexical) if topic != OUT_OF_SCOPE}
            best = sorted(combined.items(), key=lambda item: -item[1])[:RANKING_LENGTH]
            articles = {
                "ranking": [{"id": topic, "confidence": round(score, 4)} for topic, score in best],
                OUT_OF_SCOPE: round(lexical.get(OUT_OF_SCOPE, 0.0), 4),
            }
            message.set(ARTICLES_KEY, articles, add_to_output=True)
            if ranker_overrules((message.get(INTENT) or {}).get("name"), articles):
                # so that data/rules.yml routes it to action_answer, as bot/decision.py decides
                message.set(INTENT, {"name": RETRIEVAL_INTENT, "confidence": articles["ranking"][0]["confidence"]},
                            add_to_output=True)
        return messages

    def _probabilities(self, message: Message) -> dict[str, float]:
        classifier = self._model[2]
        text = normalise(message.get(TEXT) or "")
        features = self._features([text], [_words(text)])
        if self._weights is None:  # two articles only: a binary model
            return dict(zip(classifier.classes_, np.asarray(classifier.predict_proba(features)[0], dtype=float)))
        scores = np.asarray(features @ self._weights)[0] + classifier.intercept_
        scores = np.exp(scores - scores.max())  # the multinomial model's softmax, as predict_proba
        return dict(zip(classifier.classes_, (scores / scores.sum()).astype(float)))


def _contiguous_weights(model: Optional[tuple]) -> Optional[np.ndarray]:
    """The classifier's weights, features x articles, in one C-ordered copy made once:
    predict_proba makes that copy of the transposed weights on every call (5 ms a message,
    an eighth of a Rasa server's time), the product itself costs 0.02 ms."""
    if model is None or model[2] is None or model[2].coef_.shape[0] == 1:
        return None
    return np.ascontiguousarray(model[2].coef_.T)


def _selector_ranking(message: Message) -> dict[str, float]:
    """The ResponseSelector's confidence per article for this message."""
    selection = (message.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}
    return {article_id(r.get("intent_response_key")): float(r.get("confidence") or 0.0)
            for r in selection.get("ranking") or [] if article_id(r.get("intent_response_key"))}
