"""carebot: a bilingual Rasa assistant for families of children on a blinatumomab infusion."""
