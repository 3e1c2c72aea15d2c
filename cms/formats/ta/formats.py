"""
Tamil dates as Tamil readers write them: "4 ஆகஸ்ட் 2022", with no English-style comma before the year
(Django's own Tamil formats have one). Everything not set here is Django's.
"""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
MONTH_DAY_FORMAT = "j F"
