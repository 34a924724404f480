"""test262 transparency: run the ECMAScript conformance suite under plain ``node`` and
instrumented, and report where the two disagree (``things conformance run --test262``).

- :mod:`.suite`: find and unpack the suite, read each test's front matter, choose tests;
- :mod:`.runner`: run one test both ways (the rules of test262's INTERPRETING.md);
- :mod:`.report`: shares by folder, failure list, JSON.
"""
