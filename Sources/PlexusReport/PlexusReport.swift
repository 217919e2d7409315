// PlexusReport
