// PlexusCluster
