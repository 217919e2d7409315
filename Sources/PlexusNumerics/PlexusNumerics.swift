// PlexusNumerics
