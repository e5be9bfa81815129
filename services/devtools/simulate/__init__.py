"""`dixian simulate`: a realistic synthetic county, its two years of events, and the ground
truth of the rule violations planted in them."""
