"""What Amma serves over plain HTTP beside the bot: the point diagrams."""
