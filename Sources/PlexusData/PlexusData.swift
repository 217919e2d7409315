// PlexusData
