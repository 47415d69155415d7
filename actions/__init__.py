"""Custom actions, served by the Rasa action server (`python -m rasa_sdk --actions actions`)."""
from actions.answer import ActionAnswer
from actions.chitchat import ActionChitchat
from actions.escalate import ActionEscalate
from actions.fallback import ActionFallback
from actions.privacy import ActionPrivacy

__all__ = ["ActionAnswer", "ActionChitchat", "ActionEscalate", "ActionFallback", "ActionPrivacy"]
