<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ru_RU">
<context>
    <name>DeviceSettingsWidget</name>
    <message>
        <location filename="../../ui/settings/device_settings.py" line="51" />
        <source>Devices</source>
        <translation>Устройства</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_settings.py" line="57" />
        <source>Receipt printer</source>
        <translation>Чековый принтер</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_settings.py" line="58" />
        <source>Scanner and card reader</source>
        <translation>Сканер и считыватель карт</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_settings.py" line="59" />
        <source>Sound</source>
        <translation>Звук</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_settings.py" line="63" />
        <source>Print queue</source>
        <translation>Очередь печати</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_settings.py" line="64" />
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_settings.py" line="65" />
        <source>Undo changes</source>
        <translation>Отменить изменения</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_settings.py" line="123" />
        <source>Saved.</source>
        <translation>Сохранено.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_settings.py" line="145" />
        <source>The test page is in the print queue (job %1).</source>
        <translation>Тестовая страница поставлена в очередь печати (задание %1).</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_settings.py" line="156" />
        <source>Playing the test sound.</source>
        <translation>Воспроизводится тестовый звук.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_settings.py" line="156" />
        <source>Sound is off.</source>
        <translation>Звук выключен.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_settings.py" line="163" />
        <source>Nothing scanned yet.</source>
        <translation>Пока ничего не отсканировано.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_settings.py" line="165" />
        <source>barcode</source>
        <translation>штрихкод</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_settings.py" line="165" />
        <source>card</source>
        <translation>карта</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_settings.py" line="166" />
        <source>not read, try again</source>
        <translation>не прочитано, попробуйте ещё раз</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_settings.py" line="178" />
        <source>The settings could not be stored: %1</source>
        <translation>Не удалось сохранить настройки: %1</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_settings.py" line="198" />
        <source>Enter the printer's network address (e.g. 192.168.1.50).</source>
        <translation>Укажите сетевой адрес принтера (например, 192.168.1.50).</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_settings.py" line="199" />
        <source>The printer's TCP port must be from 1 to 65535.</source>
        <translation>TCP-порт принтера должен быть от 1 до 65535.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_settings.py" line="200" />
        <source>Enter the printer's port or device file.</source>
        <translation>Укажите порт или файл устройства принтера.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_settings.py" line="201" />
        <source>Enter the printer's USB vendor id (4 hex digits).</source>
        <translation>Укажите USB vendor id принтера (4 шестнадцатеричные цифры).</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_settings.py" line="202" />
        <source>Enter the printer's USB product id (4 hex digits).</source>
        <translation>Укажите USB product id принтера (4 шестнадцатеричные цифры).</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_settings.py" line="203" />
        <source>This paper width takes another number of characters.</source>
        <translation>Для этой ширины бумаги нужно другое число символов в строке.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_settings.py" line="204" />
        <source>Enter the scanner's port (e.g. /dev/ttyACM0 or COM3).</source>
        <translation>Укажите порт сканера (например, /dev/ttyACM0 или COM3).</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_settings.py" line="205" />
        <source>Enter the scanner's USB vendor id (4 hex digits).</source>
        <translation>Укажите USB vendor id сканера (4 шестнадцатеричные цифры).</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_settings.py" line="206" />
        <source>Enter the scanner's USB product id (4 hex digits).</source>
        <translation>Укажите USB product id сканера (4 шестнадцатеричные цифры).</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_settings.py" line="207" />
        <source>A prefix or suffix is at most 8 characters.</source>
        <translation>Префикс и суффикс — не длиннее 8 символов.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_settings.py" line="210" />
        <source>This device is not set up on this till.</source>
        <translation>Это устройство не настроено на этой кассе.</translation>
    </message>
</context>
<context>
    <name>PrintQueueView</name>
    <message>
        <location filename="../../ui/settings/print_queue_view.py" line="39" />
        <source>No.</source>
        <translation>№</translation>
    </message>
    <message>
        <location filename="../../ui/settings/print_queue_view.py" line="39" />
        <source>Document</source>
        <translation>Документ</translation>
    </message>
    <message>
        <location filename="../../ui/settings/print_queue_view.py" line="39" />
        <source>State</source>
        <translation>Состояние</translation>
    </message>
    <message>
        <location filename="../../ui/settings/print_queue_view.py" line="39" />
        <source>Tries</source>
        <translation>Попытки</translation>
    </message>
    <message>
        <location filename="../../ui/settings/print_queue_view.py" line="40" />
        <source>Printer said</source>
        <translation>Ответ принтера</translation>
    </message>
    <message>
        <location filename="../../ui/settings/print_queue_view.py" line="47" />
        <source>Refresh</source>
        <translation>Обновить</translation>
    </message>
    <message>
        <location filename="../../ui/settings/print_queue_view.py" line="48" />
        <source>Try again now</source>
        <translation>Повторить сейчас</translation>
    </message>
    <message>
        <location filename="../../ui/settings/print_queue_view.py" line="49" />
        <source>Reprint</source>
        <translation>Напечатать ещё раз</translation>
    </message>
    <message>
        <location filename="../../ui/settings/print_queue_view.py" line="50" />
        <source>Do not print</source>
        <translation>Не печатать</translation>
    </message>
    <message>
        <location filename="../../ui/settings/print_queue_view.py" line="76" />
        <source>Everything is printed.</source>
        <translation>Всё напечатано.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/print_queue_view.py" line="79" />
        <source>%1 waiting to print. %2</source>
        <translation>Ждут печати: %1. %2</translation>
    </message>
    <message>
        <location filename="../../ui/settings/print_queue_view.py" line="83" />
        <source>%1 printing.</source>
        <translation>Печатается: %1.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/print_queue_view.py" line="93" />
        <source>Receipt</source>
        <translation>Чек</translation>
    </message>
    <message>
        <location filename="../../ui/settings/print_queue_view.py" line="93" />
        <source>Test page</source>
        <translation>Тестовая страница</translation>
    </message>
    <message>
        <location filename="../../ui/settings/print_queue_view.py" line="94" />
        <source>Report</source>
        <translation>Отчёт</translation>
    </message>
    <message>
        <location filename="../../ui/settings/print_queue_view.py" line="102" />
        <source>Printed.</source>
        <translation>Напечатано.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/print_queue_view.py" line="103" />
        <source>Printed. Paper is running low.</source>
        <translation>Напечатано. Бумага заканчивается.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/print_queue_view.py" line="105" />
        <source>The printer is out of paper. Load paper; the receipt is kept.</source>
        <translation>В принтере закончилась бумага. Вставьте бумагу; чек сохранён.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/print_queue_view.py" line="107" />
        <source>The printer cover is open. Close it; the receipt is kept.</source>
        <translation>Крышка принтера открыта. Закройте её; чек сохранён.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/print_queue_view.py" line="109" />
        <source>The printer is offline. The receipt is kept for printing.</source>
        <translation>Принтер не в сети. Чек сохранён для печати.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/print_queue_view.py" line="111" />
        <source>The printer reports an error. Check it; the receipt is kept.</source>
        <translation>Принтер сообщает об ошибке. Проверьте его; чек сохранён.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/print_queue_view.py" line="113" />
        <source>The printer cannot be reached. The receipt is kept.</source>
        <translation>Принтер недоступен. Чек сохранён.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/print_queue_view.py" line="114" />
        <source>Sent to the printer.</source>
        <translation>Отправлено на принтер.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/print_queue_view.py" line="116" />
        <source>This printer type is not available on this till.</source>
        <translation>Этот тип принтера недоступен на этой кассе.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/print_queue_view.py" line="121" />
        <source>in the queue</source>
        <translation>в очереди</translation>
    </message>
    <message>
        <location filename="../../ui/settings/print_queue_view.py" line="121" />
        <source>printing</source>
        <translation>печатается</translation>
    </message>
    <message>
        <location filename="../../ui/settings/print_queue_view.py" line="122" />
        <source>printed</source>
        <translation>напечатано</translation>
    </message>
    <message>
        <location filename="../../ui/settings/print_queue_view.py" line="122" />
        <source>waiting for the printer</source>
        <translation>ждёт принтер</translation>
    </message>
    <message>
        <location filename="../../ui/settings/print_queue_view.py" line="123" />
        <source>not printed (cancelled)</source>
        <translation>не напечатано (отменено)</translation>
    </message>
    <message>
        <location filename="../../ui/settings/print_queue_view.py" line="146" />
        <source>This document is still in the queue; it will print.</source>
        <translation>Этот документ ещё в очереди и будет напечатан.</translation>
    </message>
</context>
<context>
    <name>PrinterForm</name>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="67" />
        <source>Network (TCP 9100)</source>
        <translation>Сеть (TCP 9100)</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="67" />
        <source>Serial port</source>
        <translation>Последовательный порт</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="68" />
        <source>USB</source>
        <translation>USB</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="68" />
        <source>Device file</source>
        <translation>Файл устройства</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="83" />
        <source>as the profile says</source>
        <translation>из профиля</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="86" />
        <source>%1 mm</source>
        <translation>%1 мм</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="88" />
        <source>Print a test page</source>
        <translation>Напечатать тестовую страницу</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="96" />
        <source>Connection</source>
        <translation>Подключение</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="97" />
        <source>Address</source>
        <translation>Адрес</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="98" />
        <source>TCP port</source>
        <translation>TCP-порт</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="99" />
        <source>Port or file</source>
        <translation>Порт или файл</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="100" />
        <source>Line speed (baud)</source>
        <translation>Скорость (бод)</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="101" />
        <source>USB vendor id (hex)</source>
        <translation>USB vendor id (hex)</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="102" />
        <source>USB product id (hex)</source>
        <translation>USB product id (hex)</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="103" />
        <source>Printer profile</source>
        <translation>Профиль принтера</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="104" />
        <source>Code page number</source>
        <translation>Номер кодовой страницы</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="105" />
        <source>Paper width</source>
        <translation>Ширина бумаги</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="106" />
        <source>Characters per line</source>
        <translation>Символов в строке</translation>
    </message>
</context>
<context>
    <name>ScannerForm</name>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="163" />
        <source>Keyboard (wedge)</source>
        <translation>Клавиатура (wedge)</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="163" />
        <source>Serial port</source>
        <translation>Последовательный порт</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="164" />
        <source>USB HID</source>
        <translation>USB HID</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="173" />
        <source> ms</source>
        <translation> мс</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="178" />
        <source>Show the last scan</source>
        <translation>Показать последнее сканирование</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="179" />
        <source>Nothing scanned yet.</source>
        <translation>Пока ничего не отсканировано.</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="182" />
        <source>Connection</source>
        <translation>Подключение</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="183" />
        <source>Prefix</source>
        <translation>Префикс</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="184" />
        <source>Suffix</source>
        <translation>Суффикс</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="185" />
        <source>Longest pause between keys</source>
        <translation>Наибольшая пауза между клавишами</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="186" />
        <source>Port</source>
        <translation>Порт</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="187" />
        <source>Line speed (baud)</source>
        <translation>Скорость (бод)</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="188" />
        <source>USB vendor id (hex)</source>
        <translation>USB vendor id (hex)</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="189" />
        <source>USB product id (hex)</source>
        <translation>USB product id (hex)</translation>
    </message>
</context>
<context>
    <name>SoundForm</name>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="230" />
        <source>Play sounds</source>
        <translation>Воспроизводить звуки</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="235" />
        <source>Play a test sound</source>
        <translation>Проиграть тестовый звук</translation>
    </message>
    <message>
        <location filename="../../ui/settings/device_forms.py" line="241" />
        <source>Volume</source>
        <translation>Громкость</translation>
    </message>
</context>
</TS>