from handout_pdf.lifetime import exit_now

from .cli import main

exit_now(main())
