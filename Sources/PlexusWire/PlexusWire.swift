// PlexusWire
