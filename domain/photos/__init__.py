"""Photos by purpose: what a photo may be used for, who may see it, and how it is handed out."""
